<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ChatTab</name>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="95"/>
        <source>Contact details and fingerprint</source>
        <extracomment>A typing indicator not refreshed for this long disappears.</extracomment>
        <translation>联系人详情和指纹</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="101"/>
        <source>More</source>
        <translation>更多</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="104"/>
        <source>Export chat…</source>
        <translation>导出聊天记录…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="106"/>
        <source>Delete chat…</source>
        <translation>删除聊天…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="179"/>
        <source>online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="179"/>
        <source>away</source>
        <translation>离开</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="179"/>
        <source>busy</source>
        <translation>忙碌</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="180"/>
        <source>offline — messages wait until they are back</source>
        <translation>离线 — 消息会在对方上线后送达</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="186"/>
        <source>✔ verified</source>
        <translation>✔ 已验证</translation>
    </message>
    <message numerus="yes">
        <location filename="../../lanchat/ui/chat_tab.py" line="195"/>
        <source>Everyone online now: %n people</source>
        <translation>
            <numerusform>当前在线的所有人：%n 人</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="196"/>
        <source>No one is online right now</source>
        <translation>现在没有人在线</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="207"/>
        <source>🔓 {0} is not encrypted: others on this network can read what you send here.</source>
        <translation>🔓 {0} 不加密：同一网络上的其他人可以看到你在这里发送的内容。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="211"/>
        <source>🔒 {0}: encrypted, but lanchat cannot verify who is at the other end.</source>
        <translation>🔒 {0}：已加密，但 lanchat 无法核实对方是谁。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="222"/>
        <source>{0} (other networks) get what you write here one by one, not what others write; not all of it is encrypted.</source>
        <translation>{0}（其他网络）会逐条收到你在这里写的内容，但收不到其他人写的；这部分内容不一定加密。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="245"/>
        <source>No one is online to receive this message.</source>
        <translation>没有在线的人可以接收这条消息。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="253"/>
        <source>Message too long</source>
        <translation>消息太长</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="254"/>
        <source>This message is too long to send. Split it into shorter messages.</source>
        <translation>这条消息太长，无法发送。请拆分成几条较短的消息。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="280"/>
        <source>typing…</source>
        <translation>正在输入…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="282"/>
        <source>{0} is typing…</source>
        <translation>{0} 正在输入…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="327"/>
        <source>No one is online to receive this.</source>
        <translation>没有在线的人可以接收。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="333"/>
        <location filename="../../lanchat/ui/chat_tab.py" line="356"/>
        <source>Cannot send: {0}</source>
        <translation>无法发送：{0}</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="360"/>
        <source>Send files</source>
        <translation>发送文件</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="366"/>
        <source>Send a folder</source>
        <translation>发送文件夹</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="373"/>
        <source>Send a picture</source>
        <translation>发送图片</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_tab.py" line="373"/>
        <source>Pictures (*.png *.jpg *.jpeg *.gif *.webp *.bmp)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.gif *.webp *.bmp)</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <location filename="../../lanchat/ui/chat_view.py" line="166"/>
        <source>Open link</source>
        <extracomment>Within this many pixels of the bottom, new entries keep the view scrolled down.</extracomment>
        <translation>打开链接</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_view.py" line="167"/>
        <source>Copy link</source>
        <translation>复制链接</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/chat_view.py" line="169"/>
        <source>Copy text</source>
        <translation>复制文字</translation>
    </message>
</context>
<context>
    <name>ComposeBar</name>
    <message>
        <location filename="../../lanchat/ui/compose.py" line="88"/>
        <source>Write a message…</source>
        <extracomment>After this long without a key, we tell the contact we stopped typing.</extracomment>
        <translation>输入消息…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/compose.py" line="96"/>
        <source>Emoji</source>
        <translation>表情</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/compose.py" line="97"/>
        <source>Send files</source>
        <translation>发送文件</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/compose.py" line="98"/>
        <source>Send a folder</source>
        <translation>发送文件夹</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/compose.py" line="99"/>
        <source>Send a picture</source>
        <translation>发送图片</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/compose.py" line="100"/>
        <source>Send (Enter)</source>
        <translation>发送 (Enter)</translation>
    </message>
</context>
<context>
    <name>ContactDialog</name>
    <message>
        <location filename="../../lanchat/ui/contact_dialog.py" line="46"/>
        <source>Contact details</source>
        <translation>联系人详情</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contact_dialog.py" line="56"/>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contact_dialog.py" line="56"/>
        <source>Away</source>
        <translation>离开</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contact_dialog.py" line="56"/>
        <source>Busy</source>
        <translation>忙碌</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contact_dialog.py" line="57"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contact_dialog.py" line="67"/>
        <source>Group</source>
        <translation>分组</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contact_dialog.py" line="69"/>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contact_dialog.py" line="70"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contact_dialog.py" line="75"/>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contact_dialog.py" line="85"/>
        <source>Fingerprint</source>
        <translation>指纹</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contact_dialog.py" line="86"/>
        <source>Full fingerprint</source>
        <translation>完整指纹</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contact_dialog.py" line="89"/>
        <source>To be sure this is really them, meet in person and compare the fingerprint above with the one their lanchat shows for you (hover over your name). If they match, tick the box.</source>
        <translation>为确认对方身份，请当面把上面的指纹与对方 lanchat 中显示的你的指纹（鼠标停在你的名字上即可看到）进行比对。如果一致，请勾选下面的选项。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contact_dialog.py" line="92"/>
        <source>This network has no keys to compare: anyone on the network could use this name and address.</source>
        <translation>这个网络没有可以核对的密钥：网络上任何人都可以使用这个名字和地址。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contact_dialog.py" line="95"/>
        <source>I compared the fingerprint in person: verified</source>
        <translation>我已当面比对过指纹：已验证</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contact_dialog.py" line="105"/>
        <source>Careful: you verified another contact called “{0}” with a different key. This may be someone else using the same name.</source>
        <translation>注意：你已验证过另一个名为“{0}”的联系人，其密钥不同。这可能是别人在冒用这个名字。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contact_dialog.py" line="112"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>ContactsDelegate</name>
    <message numerus="yes">
        <location filename="../../lanchat/ui/contacts_view.py" line="188"/>
        <source>%n online</source>
        <translation>
            <numerusform>%n 人在线</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contacts_view.py" line="188"/>
        <source>No one is online</source>
        <translation>没有人在线</translation>
    </message>
    <message numerus="yes">
        <location filename="../../lanchat/ui/contacts_view.py" line="190"/>
        <source>%n members</source>
        <translation>
            <numerusform>%n 位成员</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contacts_view.py" line="192"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contacts_view.py" line="193"/>
        <source>Say hello 👋</source>
        <translation>打个招呼吧 👋</translation>
    </message>
</context>
<context>
    <name>ContactsModel</name>
    <message>
        <location filename="../../lanchat/core/contacts_model.py" line="73"/>
        <source>Picture</source>
        <translation>图片</translation>
    </message>
    <message>
        <location filename="../../lanchat/core/contacts_model.py" line="76"/>
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../lanchat/core/contacts_model.py" line="80"/>
        <source>You: </source>
        <translation>你：</translation>
    </message>
    <message>
        <location filename="../../lanchat/core/contacts_model.py" line="178"/>
        <source>Everyone</source>
        <translation>所有人</translation>
    </message>
</context>
<context>
    <name>ContactsPane</name>
    <message>
        <location filename="../../lanchat/ui/contacts_view.py" line="271"/>
        <source>Search — Enter finds messages</source>
        <translation>搜索 — 按 Enter 查找消息</translation>
    </message>
    <message numerus="yes">
        <location filename="../../lanchat/ui/contacts_view.py" line="366"/>
        <source>%n message(s) found</source>
        <translation>
            <numerusform>找到 %n 条消息</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/contacts_view.py" line="367"/>
        <source>No messages contain “{0}”</source>
        <translation>没有包含“{0}”的消息</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <location filename="../../lanchat/ui/first_run.py" line="14"/>
        <source>Welcome to lanchat</source>
        <translation>欢迎使用 lanchat</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/first_run.py" line="16"/>
        <source>Welcome to lanchat 👋</source>
        <translation>欢迎使用 lanchat 👋</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/first_run.py" line="19"/>
        <source>lanchat finds the people on your network who run it too. Choose the name they will see; you can change it later in Settings.</source>
        <translation>lanchat 会找到你所在网络中同样在使用它的人。请选择一个别人能看到的名字，以后可以在设置中修改。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/first_run.py" line="26"/>
        <source>Your name</source>
        <translation>你的名字</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/first_run.py" line="29"/>
        <source>Start chatting</source>
        <translation>开始聊天</translation>
    </message>
</context>
<context>
    <name>GroupDialog</name>
    <message>
        <location filename="../../lanchat/ui/group_dialog.py" line="30"/>
        <source>New group chat</source>
        <translation>新建群聊</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/group_dialog.py" line="34"/>
        <source>Group name, e.g. Project team</source>
        <translation>群名称，例如：项目小组</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/group_dialog.py" line="37"/>
        <source>online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/group_dialog.py" line="37"/>
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/group_dialog.py" line="44"/>
        <source>Create group</source>
        <translation>创建群聊</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/group_dialog.py" line="45"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/group_dialog.py" line="51"/>
        <source>Name</source>
        <translation>名字</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/group_dialog.py" line="53"/>
        <source>Members</source>
        <translation>成员</translation>
    </message>
</context>
<context>
    <name>HistoryActions</name>
    <message>
        <location filename="../../lanchat/ui/history_actions.py" line="64"/>
        <source>Everyone</source>
        <extracomment>A line for the status bar. Something went wrong that the person must see. The chat&apos;s messages are gone (its tab closes).</extracomment>
        <translation>所有人</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/history_actions.py" line="87"/>
        <source>Export chat</source>
        <translation>导出聊天记录</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/history_actions.py" line="88"/>
        <source>Web page (*.html *.htm);;Text (*.txt);;JSON (*.json)</source>
        <translation>网页 (*.html *.htm);;文本 (*.txt);;JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/history_actions.py" line="102"/>
        <source>Could not write {0}: {1}</source>
        <translation>无法写入 {0}：{1}</translation>
    </message>
    <message numerus="yes">
        <location filename="../../lanchat/ui/history_actions.py" line="105"/>
        <source>Exported %n message(s) to {0}</source>
        <translation>
            <numerusform>已将 %n 条消息导出到 {0}</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/history_actions.py" line="121"/>
        <location filename="../../lanchat/ui/history_actions.py" line="125"/>
        <source>Delete chat</source>
        <translation>删除聊天</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/history_actions.py" line="122"/>
        <source>Delete every message of the chat “{0}” from this computer? This cannot be undone. The others keep their copies, and “{0}” stays in your list.</source>
        <translation>要从这台电脑上删除与“{0}”的聊天中的所有消息吗？此操作无法撤销。对方仍保留他们的副本，“{0}”也仍会留在你的列表中。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/history_actions.py" line="130"/>
        <source>Deleted the chat “{0}”.</source>
        <translation>已删除与“{0}”的聊天。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/history_actions.py" line="136"/>
        <location filename="../../lanchat/ui/history_actions.py" line="139"/>
        <source>Clear all history</source>
        <translation>清除全部历史记录</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/history_actions.py" line="137"/>
        <source>Delete every message of every chat from this computer? This cannot be undone. Your contacts and groups stay, and so do transfers still running.</source>
        <translation>要从这台电脑上删除所有聊天中的全部消息吗？此操作无法撤销。你的联系人和群组会保留，正在进行的传输也会保留。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/history_actions.py" line="143"/>
        <source>The history is cleared.</source>
        <translation>历史记录已清除。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../lanchat/ui/window.py" line="146"/>
        <source>Welcome to lanchat</source>
        <translation>欢迎使用 lanchat</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/window.py" line="149"/>
        <source>People on your network appear on the left as they start lanchat.
Double-click someone to chat, or write to Everyone at once.
Drop files or pictures on a chat to send them.</source>
        <translation>网络中启动了 lanchat 的人会出现在左侧。
双击某人即可聊天，也可以一次发给所有人。
把文件或图片拖到聊天窗口即可发送。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/window.py" line="321"/>
        <source>Someone new uses the name “{0}” of a contact you verified. It is a different key: it may not be the same person. Compare fingerprints before you trust them.</source>
        <translation>有新的联系人使用了你已验证联系人的名字“{0}”。其密钥不同，可能不是同一个人。信任对方之前请先比对指纹。</translation>
    </message>
</context>
<context>
    <name>MeCard</name>
    <message>
        <location filename="../../lanchat/ui/me_card.py" line="62"/>
        <source>Menu</source>
        <translation>菜单</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/me_card.py" line="66"/>
        <source>New group chat…</source>
        <translation>新建群聊…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/me_card.py" line="67"/>
        <source>Transfers</source>
        <translation>文件传输</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/me_card.py" line="68"/>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/me_card.py" line="70"/>
        <source>Export chat…</source>
        <translation>导出聊天记录…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/me_card.py" line="71"/>
        <source>Delete chat…</source>
        <translation>删除聊天…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/me_card.py" line="72"/>
        <source>Clear all history…</source>
        <translation>清除全部历史记录…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/me_card.py" line="75"/>
        <source>Quit lanchat</source>
        <translation>退出 lanchat</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/me_card.py" line="81"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/me_card.py" line="99"/>
        <source>● Online</source>
        <translation>● 在线</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/me_card.py" line="99"/>
        <source>● Away</source>
        <translation>● 离开</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/me_card.py" line="99"/>
        <source>● Busy</source>
        <translation>● 忙碌</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/me_card.py" line="117"/>
        <source>Your fingerprint: {0}
Others can compare it with what their lanchat shows.</source>
        <translation>你的指纹：{0}
别人可以把它与他们的 lanchat 中显示的进行比对。</translation>
    </message>
</context>
<context>
    <name>MessageDelegate</name>
    <message>
        <location filename="../../lanchat/ui/message_delegate.py" line="232"/>
        <source>⚠ Not delivered</source>
        <extracomment>Paints and measures picture/file entries (ui.transfer_cards.CardPainter).</extracomment>
        <translation>⚠ 未送达</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/message_delegate.py" line="236"/>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/message_delegate.py" line="236"/>
        <source>Yesterday</source>
        <translation>昨天</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="57"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="69"/>
        <source>e.g. your class or team (optional)</source>
        <translation>例如你的班级或团队（可选）</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="72"/>
        <source>Choose picture…</source>
        <translation>选择图片…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="74"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="82"/>
        <source>System language</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="88"/>
        <source>Name</source>
        <translation>名字</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="89"/>
        <source>Picture</source>
        <translation>图片</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="90"/>
        <source>Group</source>
        <translation>分组</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="91"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="95"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="101"/>
        <source>Ask me (small pictures from contacts come in at once)</source>
        <translation>询问我（联系人发来的小图片直接接收）</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="102"/>
        <source>Accept everything</source>
        <translation>全部接收</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="103"/>
        <source>Refuse everything</source>
        <translation>全部拒绝</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="111"/>
        <location filename="../../lanchat/ui/settings_dialog.py" line="220"/>
        <source>Save files in</source>
        <translation>文件保存位置</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="112"/>
        <source>Incoming files</source>
        <translation>收到的文件</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="113"/>
        <source>Accept pictures up to</source>
        <translation>自动接收图片上限</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="118"/>
        <source>any free port</source>
        <translation>任意空闲端口</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="124"/>
        <source>One per line: 192.168.1.20 or pc-name:48484</source>
        <translation>每行一个：192.168.1.20 或 pc-name:48484</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="127"/>
        <source>One per line, e.g. 10.0.255.255</source>
        <translation>每行一个，例如 10.0.255.255</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="130"/>
        <source>lanchat (encrypted, keys you can verify)</source>
        <translation>lanchat（加密，可核对密钥）</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="131"/>
        <source>IP Messenger, iptux, Feiq (not encrypted)</source>
        <translation>飞鸽传书、iptux、飞秋（不加密）</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="132"/>
        <source>LocalSend (encrypted, not verified)</source>
        <translation>LocalSend（加密，身份未验证）</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="139"/>
        <source>Chinese (GBK, as Feiq writes)</source>
        <translation>中文（GBK，飞秋使用的编码）</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="140"/>
        <source>Japanese (Shift JIS, as IP Messenger writes)</source>
        <translation>日文（Shift JIS，IP Messenger 使用的编码）</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="142"/>
        <source>For IP Messenger programs that do not say they read UTF-8</source>
        <translation>用于没有声明支持 UTF-8 的飞鸽传书类程序</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="145"/>
        <source>Networks to join</source>
        <translation>加入的网络</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="146"/>
        <source>IP Messenger text</source>
        <translation>飞鸽传书文字编码</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="147"/>
        <source>Connection port (TCP)</source>
        <translation>连接端口 (TCP)</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="148"/>
        <source>Discovery port (UDP)</source>
        <translation>发现端口 (UDP)</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="149"/>
        <source>Computers to find by address</source>
        <translation>按地址查找的电脑</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="150"/>
        <source>Extra broadcast addresses</source>
        <translation>额外的广播地址</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="151"/>
        <source>Network changes apply the next time lanchat starts.</source>
        <translation>网络设置的更改将在下次启动 lanchat 时生效。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="156"/>
        <source>Start minimised</source>
        <translation>启动时最小化</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="158"/>
        <source>Closing the window keeps lanchat running in the tray</source>
        <translation>关闭窗口后 lanchat 继续在托盘中运行</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="167"/>
        <source>You</source>
        <translation>个人</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="168"/>
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="169"/>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="170"/>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="172"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="173"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="194"/>
        <source>Choose a picture</source>
        <translation>选择图片</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="195"/>
        <source>Pictures (*.png *.jpg *.jpeg *.gif *.webp *.bmp)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.gif *.webp *.bmp)</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="204"/>
        <source>Not a picture</source>
        <translation>不是图片</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="205"/>
        <source>lanchat cannot read this file as a picture.</source>
        <translation>lanchat 无法把这个文件作为图片读取。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="230"/>
        <source>Check the addresses</source>
        <translation>请检查地址</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="231"/>
        <source>“{0}” is not an address like 192.168.1.20 or pc-name:48484.</source>
        <translation>“{0}”不是类似 192.168.1.20 或 pc-name:48484 的地址。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="240"/>
        <source>Name needed</source>
        <translation>需要名字</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="240"/>
        <source>Please enter the name others will see.</source>
        <translation>请输入别人能看到的名字。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="262"/>
        <source>No network</source>
        <translation>没有网络</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="262"/>
        <source>Choose at least one network to join.</source>
        <translation>请至少选择一个要加入的网络。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="288"/>
        <source>Settings saved</source>
        <translation>设置已保存</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/settings_dialog.py" line="289"/>
        <source>Some changes take effect the next time you start lanchat.</source>
        <translation>部分更改将在下次启动 lanchat 时生效。</translation>
    </message>
</context>
<context>
    <name>TransferCards</name>
    <message>
        <location filename="../../lanchat/ui/transfer_cards.py" line="93"/>
        <source>{0} s left</source>
        <translation>剩余 {0} 秒</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_cards.py" line="95"/>
        <source>{0} min left</source>
        <translation>剩余 {0} 分钟</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_cards.py" line="96"/>
        <source>{0} h {1} min left</source>
        <translation>剩余 {0} 小时 {1} 分钟</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_cards.py" line="105"/>
        <source>Wants to send you this</source>
        <translation>想发送给你</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_cards.py" line="107"/>
        <source>Offered</source>
        <translation>已提供</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_cards.py" line="109"/>
        <source>Waiting for them to accept…</source>
        <translation>等待对方接收…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_cards.py" line="116"/>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_cards.py" line="111"/>
        <source>Declined</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_cards.py" line="117"/>
        <source>Received</source>
        <translation>已接收</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_cards.py" line="117"/>
        <source>Sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_cards.py" line="114"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_cards.py" line="118"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_cards.py" line="227"/>
        <source>Accept</source>
        <extracomment>A transfer moved on (its tid): chat views repaint that entry.</extracomment>
        <translation>接收</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_cards.py" line="228"/>
        <source>Decline</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_cards.py" line="231"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_cards.py" line="233"/>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_cards.py" line="236"/>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_cards.py" line="237"/>
        <source>Show in folder</source>
        <translation>在文件夹中显示</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_cards.py" line="343"/>
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_cards.py" line="349"/>
        <source>{0} (folder, {1} files)</source>
        <translation>{0}（文件夹，{1} 个文件）</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfer_cards.py" line="350"/>
        <source>{0} and {1} more</source>
        <translation>{0} 等 {1} 个</translation>
    </message>
</context>
<context>
    <name>TransfersPanel</name>
    <message>
        <location filename="../../lanchat/ui/transfers_panel.py" line="106"/>
        <source>Transfers</source>
        <translation>文件传输</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfers_panel.py" line="118"/>
        <source>Accept</source>
        <translation>接收</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfers_panel.py" line="119"/>
        <source>Decline</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfers_panel.py" line="120"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfers_panel.py" line="121"/>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/transfers_panel.py" line="122"/>
        <source>Show in folder</source>
        <translation>在文件夹中显示</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <location filename="../../lanchat/ui/tray.py" line="84"/>
        <source>Show lanchat</source>
        <translation>显示 lanchat</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/tray.py" line="85"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/tray.py" line="88"/>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/tray.py" line="88"/>
        <source>Away</source>
        <translation>离开</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/tray.py" line="88"/>
        <source>Busy</source>
        <translation>忙碌</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/tray.py" line="96"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message numerus="yes">
        <location filename="../../lanchat/ui/tray.py" line="123"/>
        <source>lanchat — %n unread message(s)</source>
        <translation>
            <numerusform>lanchat — %n 条未读消息</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WindowDialogs</name>
    <message>
        <location filename="../../lanchat/ui/window_dialogs.py" line="93"/>
        <source>lanchat keeps running</source>
        <translation>lanchat 仍在运行</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/window_dialogs.py" line="94"/>
        <source>lanchat is still running in the tray, so you keep receiving messages. To quit, use Quit in the tray menu. You can change this in Settings.</source>
        <translation>lanchat 仍在托盘中运行，所以你会继续收到消息。要退出，请使用托盘菜单中的“退出”。你可以在设置中更改此行为。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/window_dialogs.py" line="112"/>
        <source>lanchat</source>
        <translation>lanchat</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/window_dialogs.py" line="132"/>
        <source>There is no one to add yet: wait until others appear on the left.</source>
        <translation>还没有可以添加的人：请等待其他人出现在左侧。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/window_dialogs.py" line="169"/>
        <source>wants to send you: {0}</source>
        <translation>想发送给你：{0}</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/window_dialogs.py" line="197"/>
        <source>Picture</source>
        <translation>图片</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="28"/>
        <source>{peer} did not prove who they are (their key changed, or someone pretends to be them). lanchat did not talk to them.</source>
        <translation>{peer} 未能证明自己的身份（对方的密钥变了，或有人冒充对方）。lanchat 没有与其通信。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="33"/>
        <source>{peer} sent something lanchat does not understand; the connection was closed.</source>
        <translation>{peer} 发送了 lanchat 无法理解的内容，连接已关闭。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="36"/>
        <source>{peer} sent something too large; it was refused.</source>
        <translation>{peer} 发送的内容太大，已被拒绝。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="37"/>
        <source>{peer} uses a lanchat version that cannot talk to this one.</source>
        <translation>{peer} 使用的 lanchat 版本无法与此版本通信。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="38"/>
        <source>A peer at {peer} failed to prove its identity; lanchat did not talk to it.</source>
        <translation>位于 {peer} 的对方未能证明身份，lanchat 没有与其通信。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="41"/>
        <source>{peer} is busy with other transfers; try again in a moment.</source>
        <translation>{peer} 正忙于其他传输，请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="42"/>
        <source>There is not enough disk space for this transfer.</source>
        <translation>磁盘空间不足，无法完成此次传输。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="43"/>
        <source>{peer} had an internal problem with what we sent.</source>
        <translation>{peer} 处理我们发送的内容时出现内部问题。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="44"/>
        <source>The chat history could not be saved: {text}</source>
        <translation>无法保存聊天记录：{text}</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="57"/>
        <source>A contact</source>
        <extracomment>Notices that deserve a dialog rather than a status-bar line.</extracomment>
        <translation>一位联系人</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="70"/>
        <source>This message cannot be sent: {0}</source>
        <translation>无法发送这条消息：{0}</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="72"/>
        <source>lanchat is not allowed to use {0}.</source>
        <translation>lanchat 无权使用 {0}。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="73"/>
        <source>this file</source>
        <translation>此文件</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="76"/>
        <source>{0} does not exist (any more).</source>
        <translation>{0} 不存在（或已被删除）。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="77"/>
        <source>The file</source>
        <translation>该文件</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="81"/>
        <source>The disk is full.</source>
        <translation>磁盘已满。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="83"/>
        <source>The network port is used by another program.</source>
        <translation>网络端口已被其他程序占用。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="84"/>
        <source>A system error happened: {0}</source>
        <translation>发生系统错误：{0}</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="86"/>
        <source>lanchat ran out of memory.</source>
        <translation>lanchat 内存不足。</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="87"/>
        <source>Something unexpected went wrong: {0}</source>
        <translation>发生意外错误：{0}</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="132"/>
        <source>lanchat ran into a problem</source>
        <translation>lanchat 遇到问题</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/errors.py" line="135"/>
        <source>lanchat keeps running. If this happens again, please report it with the details below.</source>
        <translation>lanchat 会继续运行。如果再次发生，请附上下面的详细信息报告此问题。</translation>
    </message>
</context>
<context>
    <name>networks</name>
    <message>
        <location filename="../../lanchat/ui/networks.py" line="15"/>
        <source>IP Messenger</source>
        <translation>飞鸽传书</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/networks.py" line="23"/>
        <location filename="../../lanchat/ui/networks.py" line="39"/>
        <source>not encrypted</source>
        <translation>未加密</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/networks.py" line="24"/>
        <location filename="../../lanchat/ui/networks.py" line="41"/>
        <source>identity not verified</source>
        <translation>身份未经验证</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/networks.py" line="25"/>
        <source>no read receipts</source>
        <translation>没有已读回执</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/networks.py" line="26"/>
        <source>no typing indicator</source>
        <translation>不显示“正在输入”</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/networks.py" line="27"/>
        <source>group messages arrive one by one</source>
        <translation>群消息逐条单独送达</translation>
    </message>
    <message>
        <location filename="../../lanchat/ui/networks.py" line="28"/>
        <source>cut transfers start over</source>
        <translation>中断的传输会从头开始</translation>
    </message>
</context>
<context>
    <name>startup</name>
    <message>
        <location filename="../../lanchat/cli/window.py" line="83"/>
        <source>lanchat cannot start</source>
        <translation>lanchat 无法启动</translation>
    </message>
    <message>
        <location filename="../../lanchat/cli/window.py" line="84"/>
        <source>Close other copies of lanchat or programs that use the same ports, then try again.</source>
        <translation>请关闭其他正在运行的 lanchat 或占用相同端口的程序，然后重试。</translation>
    </message>
</context>
</TS>
